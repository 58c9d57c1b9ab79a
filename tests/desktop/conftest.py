"""The desktop client's tests. The package lives in desktop/bia_desktop (it ships on its
own, not as part of the backend), so its folder goes on sys.path here."""

import sys
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
if str(DESKTOP) not in sys.path:
    sys.path.insert(0, str(DESKTOP))
