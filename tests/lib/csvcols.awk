# csvcols.awk: prints the columns named in COLS (comma-separated, in that
# order) of a CSV file with a header row.  For jt's own output, whose
# projected columns never hold a quoted comma; a column the file lacks
# prints empty.
#   awk -v COLS=ts,person -f csvcols.awk events.csv
BEGIN { FS = ","; n = split(COLS, want, ",") }
NR == 1 { for (i = 1; i <= NF; i++) pos[$i] = i; next }
{
	line = ""
	for (j = 1; j <= n; j++) {
		v = (want[j] in pos) ? $(pos[want[j]]) : ""
		line = line (j > 1 ? "," : "") v
	}
	print line
}
