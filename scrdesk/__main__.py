"""`python -m scrdesk`: the same entry as the `scrdesk` command (window, or CLI with arguments)."""

from scrdesk.cli import main

raise SystemExit(main())
