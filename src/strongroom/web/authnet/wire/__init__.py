"""The Authorize.Net wire: request trees, the schema DSL, the validator, XML and JSON codecs."""
