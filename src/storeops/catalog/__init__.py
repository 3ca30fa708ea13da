"""Products, SKUs, suppliers, certificates, keywords, media, listings, groups, showcase, competitors."""
