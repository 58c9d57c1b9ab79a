import sys

from bia_desktop.app import main

sys.exit(main())
