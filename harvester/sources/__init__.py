"""Sources turn inputs (files, directories, archives) into Page objects."""
