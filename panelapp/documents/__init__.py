"""Word documents that leave panelapp: building them and signing them for the Chair."""
