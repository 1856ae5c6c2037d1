"""Reading Word (.docx) reports: the container guarded, paragraphs and tables in order, headings
recognised from styles or typed numbering, the header and signature blocks, the statistics table."""
