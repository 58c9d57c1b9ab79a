"""Bia's desktop client: a pywebview window over the appliance's gRPC API (issue 7).

Installed from the appliance's wheel, the client's pinned pure-Python dependencies live
in _vendor beside this file; they come first on the path, so what runs is what was
tested and signed, whatever else the system has installed. In a checkout there is no
_vendor and the project venv provides them.
"""

import sys
from pathlib import Path

__version__ = "0.2.0"

_vendor = str(Path(__file__).resolve().with_name("_vendor"))
if Path(_vendor).is_dir() and _vendor not in sys.path:
    sys.path.insert(0, _vendor)
