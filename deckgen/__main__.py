from deckgen.cli import main

raise SystemExit(main())
