from halfbuilt.cli import main

main()
