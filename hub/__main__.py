"""``python -m hub``: check the machine, then start the classroom hub (see :mod:`hub.launch`)."""

from hub.launch import main

raise SystemExit(main())
