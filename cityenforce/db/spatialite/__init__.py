"""SpatiaLite backend that copes with newer SQLite builds."""
