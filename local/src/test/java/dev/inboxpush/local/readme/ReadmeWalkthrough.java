package dev.inboxpush.local.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The README's walk-through as a script: the fenced {@code sh} blocks between the lines {@value
 * #BEGIN} and {@value #END} of the repository's {@code README.md}, in order, so that a test can run
 * exactly what a reader copies and the README cannot drift from what works.
 *
 * <p>The rules are strict on purpose, and a README that breaks one fails with the line to fix: each
 * marker must appear exactly once, alone on its line and outside any code block, the begin marker
 * first; every fenced block between them must be {@code sh} (a {@code bash}, {@code console} or
 * bare block there would be silently skipped by a looser reader, and the test would run less than
 * the reader sees); a block must be closed before the end marker; at least one block must be there.
 * Prose between the blocks is free. Fences are CommonMark's: three or more backticks or tildes,
 * indented at most three spaces, closed by the same character at least as many times.
 *
 * <p>Immutable and thread-safe once built; building reads the file once and throws {@link
 * IllegalStateException} naming the file, the line and the rule broken.
 */
public final class ReadmeWalkthrough {

  /** The line that opens the walk-through. */
  public static final String BEGIN = "<!-- walkthrough:begin -->";

  /** The line that closes it. */
  public static final String END = "<!-- walkthrough:end -->";

  /** The only language a walk-through block may have. */
  public static final String LANGUAGE = "sh";

  /**
   * One fenced block of the walk-through.
   *
   * @param line the 1-based line of its opening fence in the README
   * @param code its content, without the fences, ending with a line break
   */
  public record Block(int line, String code) {}

  private final String source;
  private final List<Block> blocks;

  private ReadmeWalkthrough(String source, List<Block> blocks) {
    this.source = source;
    this.blocks = List.copyOf(blocks);
  }

  /** The walk-through of the repository's own {@code README.md} (see {@link #repositoryRoot}). */
  public static ReadmeWalkthrough ofRepository() {
    return of(repositoryRoot().resolve("README.md"));
  }

  /** The walk-through of the Markdown file {@code readme}. */
  public static ReadmeWalkthrough of(Path readme) {
    try {
      return parse(
          Files.readString(readme, StandardCharsets.UTF_8), readme.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + readme.toAbsolutePath(), e);
    }
  }

  /**
   * The walk-through of {@code markdown}.
   *
   * @param source the file's name for messages, e.g. {@code README.md}
   */
  public static ReadmeWalkthrough parse(String markdown, String source) {
    String[] lines = markdown.split("\r?\n", -1);
    List<Block> blocks = new ArrayList<>();
    int begin = 0;
    int end = 0;
    Fence open = null;
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i];
      if (open != null) {
        if (open.closedBy(line)) {
          if (begin != 0 && end == 0) {
            blocks.add(new Block(open.line(), code.toString()));
          }
          open = null;
          code.setLength(0);
        } else {
          code.append(open.strip(line)).append('\n');
        }
        continue;
      }
      Fence fence = Fence.opening(line, number);
      if (fence != null) {
        if (begin != 0 && end == 0 && !LANGUAGE.equals(fence.language())) {
          throw new IllegalStateException(
              source
                  + ":"
                  + number
                  + ": a walk-through block must be fenced as ```"
                  + LANGUAGE
                  + ", not "
                  + (fence.language().isEmpty() ? "without a language" : "```" + fence.language())
                  + " (the test runs only sh blocks; move this one outside the "
                  + BEGIN
                  + " ... "
                  + END
                  + " markers or make it sh)");
        }
        open = fence;
        continue;
      }
      String marker = line.strip();
      if (marker.equals(BEGIN)) {
        if (begin != 0) {
          throw new IllegalStateException(
              source
                  + ":"
                  + number
                  + ": a second "
                  + BEGIN
                  + " (the first is at line "
                  + begin
                  + (end == 0 ? ", not yet closed: markers do not nest" : "")
                  + "); there is exactly one walk-through");
        }
        begin = number;
      } else if (marker.equals(END)) {
        if (begin == 0) {
          throw new IllegalStateException(
              source + ":" + number + ": " + END + " before any " + BEGIN);
        }
        if (end != 0) {
          throw new IllegalStateException(
              source + ":" + number + ": a second " + END + " (the first is at line " + end + ")");
        }
        end = number;
      }
    }
    if (open != null) {
      throw new IllegalStateException(
          source + ":" + open.line() + ": this code block is never closed");
    }
    if (begin == 0) {
      throw new IllegalStateException(
          source + ": no " + BEGIN + " line (outside code blocks): the walk-through is missing");
    }
    if (end == 0) {
      throw new IllegalStateException(
          source + ":" + begin + ": " + BEGIN + " is never closed by " + END);
    }
    if (blocks.isEmpty()) {
      throw new IllegalStateException(
          source + ":" + begin + ": the walk-through has no ```" + LANGUAGE + " block");
    }
    return new ReadmeWalkthrough(source, blocks);
  }

  /** The blocks in README order. */
  public List<Block> blocks() {
    return blocks;
  }

  /**
   * The blocks as one bash script: {@code set -euo pipefail}, then every block in order, each
   * preceded by a comment naming its README line. When a command fails, bash stops and the script
   * prints, on stderr, the README line of the block it was in.
   *
   * <p>The blocks use paths relative to the repository root ({@code .local/...}, {@code
   * local/examples/...}): run the script with the repository root as working directory.
   */
  public String script() {
    StringBuilder script = new StringBuilder();
    script
        .append("#!/usr/bin/env bash\n")
        .append("# The walk-through of ")
        .append(source)
        .append(", extracted by ")
        .append(ReadmeWalkthrough.class.getName())
        .append(". Run from the repository root.\n")
        .append("set -euo pipefail\n")
        .append("set -o errtrace\n")
        .append("walkthrough_block=none\n")
        .append("trap 'echo \"walk-through failed (exit $?) in the block at ")
        .append(source)
        .append(":$walkthrough_block\" >&2' ERR\n");
    for (Block block : blocks) {
      script
          .append("\n# ---- ")
          .append(source)
          .append(':')
          .append(block.line())
          .append('\n')
          .append("walkthrough_block=")
          .append(block.line())
          .append('\n')
          .append(block.code());
    }
    return script.toString();
  }

  /**
   * Writes {@link #script()} to {@code file} (replacing it), executable by its owner, and returns
   * the file, ready for {@code bash FILE} with the repository root as working directory.
   */
  public Path writeScript(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, script(), StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: bash FILE runs it all the same.
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the walk-through script to " + file, e);
    }
  }

  /**
   * The repository root: the nearest directory, from the working directory up, holding both {@code
   * mvnw} and {@code README.md} (a module's tests run in the module's directory).
   */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("mvnw"))
          && Files.isRegularFile(candidate.resolve("README.md"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no directory with mvnw and README.md at or above " + dir + ": not inside the repository");
  }

  /** An opening code fence: its character, length, indentation and language. */
  private record Fence(char marker, int length, int indent, String language, int line) {

    static @Nullable Fence opening(String line, int number) {
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') {
        indent++;
      }
      if (indent > 3 || indent >= line.length()) {
        return null;
      }
      char marker = line.charAt(indent);
      if (marker != '`' && marker != '~') {
        return null;
      }
      int length = 0;
      while (indent + length < line.length() && line.charAt(indent + length) == marker) {
        length++;
      }
      if (length < 3) {
        return null;
      }
      String info = line.substring(indent + length).strip();
      if (marker == '`' && info.indexOf('`') >= 0) {
        return null; // inline code such as ```x```, not a fence (CommonMark)
      }
      String language = info.isEmpty() ? "" : info.split("\\s+", 2)[0];
      return new Fence(marker, length, indent, language, number);
    }

    boolean closedBy(String line) {
      String stripped = line.strip();
      if (line.length() - line.stripLeading().length() > 3 || stripped.length() < length) {
        return false;
      }
      for (int i = 0; i < stripped.length(); i++) {
        if (stripped.charAt(i) != marker) {
          return false;
        }
      }
      return true;
    }

    /** The content line without the fence's indentation (CommonMark removes up to as much). */
    String strip(String line) {
      int remove = 0;
      while (remove < indent && remove < line.length() && line.charAt(remove) == ' ') {
        remove++;
      }
      return line.substring(remove);
    }
  }
}
