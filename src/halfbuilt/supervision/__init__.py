"""Supervision (督促检查): the apps with which the office runs the campaign — warning lights (`lights`), supervision
orders 督办 (`orders`), and later circulars 通报 and the dashboard."""
