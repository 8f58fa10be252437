"""Notifications and reminders: the in-app inbox, e-mail and SMS, each user's choices, the event table.

Everyone notifies through `services.notify`; see docs/notifications.md."""
