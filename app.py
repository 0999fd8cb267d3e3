"""python app.py: serve the dashboard on the bundled articles at http://127.0.0.1:8050/."""
import sys

from timeline.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", "--demo", *sys.argv[1:]]))
