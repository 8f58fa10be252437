"""Gap-free document numbers (文号), shared by every series that numbers its documents (督办单, 通报)."""
