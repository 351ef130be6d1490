import Commands

PGAdvisor.main()
