"""The page kit: small pieces every page shares (text escaping and the one rule for who is
acting; formatting, flash messages and cached reads are to follow)."""
