package cim.core.ingest;

import java.nio.file.Path;

/** How to import: the channel, the mapping, the encoding and format (null: by file), and the safety limits. */
public record ImportOptions(String source, HeaderMapping mapping, InputFile.Format format, String encoding,
                            boolean dryRun, boolean force, RejectLimit maxRejects, Path rejectsFile) {
}
