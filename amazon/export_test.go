package amazon

// Bridges for the external tests: the date and money shortcuts are worth testing directly.
var (
	ParseTime       = parseTime
	ParseAmountFast = parseAmount
)
