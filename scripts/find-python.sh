#!/usr/bin/env bash
# Print the path of a Python >= 3.12: first on PATH, then under pyenv. Exit 1 if none.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for name in python3.14 python3.13 python3.12 python3 python; do
  p=$(command -v "$name" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for p in $(ls -d "$root"/versions/3.*/bin/python 2>/dev/null | sort -V); do
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "No Python 3.12 or newer found (looked on PATH and under pyenv at $root)." >&2
echo "Install one, e.g. 'pyenv install 3.12', and run make again." >&2
exit 1
