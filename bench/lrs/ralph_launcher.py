"""Run Ralph (PyPI ralph-malph 5.1) with its `fs` LRS backend set to append.

Stock Ralph's fs LRS backend writes with the CREATE operation, which refuses every write
after the first (the file exists). This launcher flips the backend's default operation to
APPEND and then serves Ralph's ASGI app with uvicorn. Usage (from Ralph's own venv):

    RALPH_RUNSERVER_BACKEND=fs RALPH_AUTH_FILE=auth.json \
    RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=/tmp/ralph-data \
    python ralph_launcher.py 127.0.0.1 8100
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    from ralph.api import app

    uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
