"""The doors of Strongroom: HTTP front ends that decode a request, call one service, encode the answer."""
