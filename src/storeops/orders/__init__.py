"""B2C orders; B2B quotes, contracts, samples and Trade Assurance; refunds and disputes (stage 8)."""
