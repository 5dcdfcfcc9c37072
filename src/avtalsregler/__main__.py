import sys

from avtalsregler.cli.main import main

sys.exit(main())
