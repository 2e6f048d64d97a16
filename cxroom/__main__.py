import sys

from cxroom.cli import main

sys.exit(main())
