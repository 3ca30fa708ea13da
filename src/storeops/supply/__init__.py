"""Supply (1.1.9, 8.2.3, 9.2.2): purchase orders, stock by warehouse, replenishment."""
