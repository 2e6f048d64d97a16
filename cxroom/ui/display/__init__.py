"""The unattended wall screen: a plain server-rendered page (no websocket), served by the room's
server next to the app, that plays a playlist of screens and survives the server's restarts."""
