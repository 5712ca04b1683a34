"""Sources to raw `Document`s: files, directories, JSON/JSON Lines/CSV dumps and stdin.

`read_paths` is the one entry point; anything it cannot read comes out as a `Skipped`
item with a coded message naming the file (or line, or row) and the reason.
"""

from sitrep.ingest.files import read_file, read_paths

__all__ = ["read_file", "read_paths"]
