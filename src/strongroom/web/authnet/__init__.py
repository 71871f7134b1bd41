"""The Authorize.Net door: XML and JSON on POST /xml/v1/request.api; Authorize.Net names live only here."""
