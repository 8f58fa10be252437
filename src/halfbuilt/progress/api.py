"""The /api/v1/ endpoints of this app; mounted by halfbuilt.api.api."""

from ninja import Router

router = Router(tags=["progress"])
