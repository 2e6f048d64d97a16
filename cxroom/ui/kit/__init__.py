"""The page kit: small pieces every page shares (text escaping first; identity,
formatting, flash messages and cached reads are to follow)."""
