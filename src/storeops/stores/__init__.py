"""Companies, stores, platform accounts and sub-accounts, credentials, service hours."""
