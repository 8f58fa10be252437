"""挂牌督办: supervision orders issued by the office or a department, answered by their addressee (docs/orders.md)."""
