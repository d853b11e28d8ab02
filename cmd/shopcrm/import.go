package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/shopcrm/shopcrm/ingest"
)

func newImportCmd(c *cli) *cobra.Command {
	var sid int64
	var kind, profile string
	var single bool
	cmd := &cobra.Command{
		Use:   "import --sid SID --kind KIND FILE...",
		Short: "Import report files of one shop (re-importing a file changes nothing)",
		Long: "Import report files of one shop. KIND is one of amazon-fba-shipments, amazon-all-orders,\n" +
			"amazon-fba-returns, amazon-mfn-returns, amazon-settlement, amazon-feedback, orders-ndjson\n" +
			"(see docs/IMPORT.md). Bad rows are reported and skipped; the exit status is non-zero only\n" +
			"when a file could not be read.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if kind == "" {
				return fmt.Errorf("--kind is required: one of %s", ingest.KindList())
			}
			k, err := ingest.ParseKind(kind)
			if err != nil {
				return err
			}
			if sid <= 0 {
				return fmt.Errorf("--sid is required")
			}
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			floor := raiseHeapFloor()
			defer runtime.KeepAlive(floor)
			// In one transaction the figures are written once anyway: no need to reorder.
			im := &ingest.Importer{Store: s, ByBuyer: !single}
			if f, ok := cmd.OutOrStdout().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				im.Progress = barProgress(cmd.ErrOrStderr())
			}
			stop, err := startCPUProfile(profile)
			if err != nil {
				return err
			}
			defer stop()
			if single {
				return s.Bulk(cmd.Context(), func(ctx context.Context) error {
					return importFiles(ctx, cmd, im, sid, k, files, true)
				})
			}
			return importFiles(cmd.Context(), cmd, im, sid, k, files, false)
		},
	}
	cmd.Flags().Int64Var(&sid, "sid", 0, "shop the files belong to (create it first with shop add)")
	cmd.Flags().StringVar(&kind, "kind", "", "report kind")
	cmd.Flags().BoolVar(&single, "single-transaction", false, "import every file in one transaction and refresh the figures "+
		"of the customers it touched once, at its end: faster for large files, but nothing shows until it ends, and a "+
		"failed file or a killed import keeps nothing")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the import to this file (go tool pprof reads it)")
	return cmd
}

// importFiles imports the files one after the other; a file that cannot be read does not
// stop the others, but makes the command fail at the end. In one transaction (atomic) the
// first failure ends it, and the transaction is rolled back.
func importFiles(ctx context.Context, cmd *cobra.Command, im *ingest.Importer, sid int64, kind ingest.Kind, files []string, atomic bool) error {
	out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
	failed := 0
	for _, path := range files {
		res, err := im.ImportFile(ctx, sid, kind, path)
		printResult(out, errw, res)
		if err != nil {
			fmt.Fprintln(errw, "error:", err)
			if atomic {
				return fmt.Errorf("%s: nothing was imported (--single-transaction)", filepath.Base(path))
			}
			failed++
			if cmd.Context().Err() != nil {
				return fmt.Errorf("import interrupted; committed batches stay, run it again to finish")
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be imported", failed, len(files))
	}
	return nil
}

// shownSkips is how many skipped rows a summary lists one by one.
const shownSkips = 20

func printResult(out, errw io.Writer, r *ingest.FileResult) {
	rate, took := "", r.Took
	if s := took.Seconds(); s > 0 && r.Rows > 0 {
		rate = fmt.Sprintf(", %.0f rows/s", float64(r.Rows)/s)
	}
	fmt.Fprintf(out, "%s (%s): %d rows read, %d inserted, %d updated, %d unchanged, %d skipped in %s%s\n",
		filepath.Base(r.File), r.Kind, r.Rows, r.Inserted, r.Updated, r.Unchanged, r.Skipped, took.Round(time.Millisecond), rate)
	for i, s := range r.Skips {
		if i == shownSkips {
			break
		}
		fmt.Fprintln(errw, "  skipped", r.SkipString(s))
	}
	if r.Skipped > shownSkips {
		fmt.Fprintf(errw, "  … and %d more skipped rows\n", r.Skipped-shownSkips)
	}
}

// barProgress draws a byte progress bar (rate, ETA) per file.
func barProgress(w io.Writer) func(name string, size int64) ingest.Progress {
	return func(name string, size int64) ingest.Progress {
		if size <= 0 {
			size = -1 // unknown size: a spinner
		}
		return &bar{progressbar.NewOptions64(size,
			progressbar.OptionSetDescription(filepath.Base(name)),
			progressbar.OptionSetWriter(w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowTotalBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionFullWidth(),
			progressbar.OptionClearOnFinish(),
		)}
	}
}

type bar struct{ *progressbar.ProgressBar }

func (b *bar) Advance(offset int64) { b.Set64(offset) }
func (b *bar) Finish()              { b.ProgressBar.Finish() }
