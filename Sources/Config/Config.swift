// Config layer: see README and ../shared/STYLE.md
