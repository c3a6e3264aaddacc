"""The video function's services, wired from a Runtime."""
from __future__ import annotations

from functions.core.room_store import Rooms
from functions.core.runtime import Runtime
from functions.video.ice import IceServers
from functions.video.repository import SignalRepository
from functions.video.service import Signalling


def build(runtime: Runtime) -> Signalling:
    settings = runtime.settings
    ice = IceServers(settings.stun_urls, settings.turn_urls, lambda: runtime.secrets.get(settings.turn_secret_param))
    return Signalling(Rooms(), SignalRepository(), ice, runtime.clock)
