"""The command line over the same core as the window (DESIGN.md, "The command line")."""

from __future__ import annotations

import argparse
import sys

from scrdesk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scrdesk", description="Case review sub group tracker.")
    parser.add_argument("--version", action="version", version=f"scrdesk {__version__}")
    parser.add_argument("--db", help="the data file (default: the one in your user data folder)")
    parser.add_argument("--demo", action="store_true", help="open a fresh temporary copy of the demo data")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    from scrdesk.app import run_gui

    return run_gui(db=args.db, demo=args.demo)
