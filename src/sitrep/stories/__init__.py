"""Stories: articles about the same development, grouped across outlets and languages as
they arrive, from one multilingual vector per article (`vectors`) and publication dates
(`grouping`)."""
