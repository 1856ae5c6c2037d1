"""The demo campaign (1055-CV/TU): a simulated history written as a real repository, with Word
reports and signed PDFs; it uses every stage, so it sits above them."""
