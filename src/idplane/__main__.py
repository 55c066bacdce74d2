from idplane.cli import main

main()
