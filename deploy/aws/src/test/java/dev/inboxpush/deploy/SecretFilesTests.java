package dev.inboxpush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images' {@code secret-files} step (deploy/docker/bin), run by bash as the entry point runs
 * it: sourced, then the environment the JVM would get is printed.
 */
class SecretFilesTests {

  private static final Path SCRIPT =
      Path.of("..", "docker", "bin", "secret-files").toAbsolutePath();

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", "set -eu; . \"$0\"; env", SCRIPT.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("INBOXPUSH_") || k.startsWith("KEY"));
    builder.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void writesEachSecretToItsFileAndRemovesItFromTheEnvironment() throws Exception {
    String pem = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMG\n-----END PRIVATE KEY-----\n";
    byte[] p12 = {0x30, (byte) 0x82, 0x00, 0x7f, 0x0a, 0x00};
    Path key = dir.resolve("secrets/apns/com.example.mail.p8");
    Path certificate = dir.resolve("secrets/apns/com.example.other.p12");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KEY_ONE", pem);
    env.put("KEY_ONE_WRITTEN_AT", "2026-10-01T12:00:00Z");
    env.put("KEY_TWO_BASE64", Base64.getEncoder().encodeToString(p12));
    env.put("INBOXPUSH_SECRET_FILES", "KEY_ONE=" + key + ",KEY_TWO_BASE64=" + certificate);

    Run run = run(env);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readString(key)).isEqualTo(pem);
    assertThat(Files.readAllBytes(certificate)).isEqualTo(p12);
    assertThat(Files.getLastModifiedTime(key).toInstant())
        .isEqualTo(Instant.parse("2026-10-01T12:00:00Z"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("r--------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
        .isEqualTo("rwx------");
    // What the JVM would see: paths only, no key material, no list.
    assertThat(run.out())
        .doesNotContain("KEY_ONE", "KEY_TWO_BASE64", "INBOXPUSH_SECRET_FILES", "MIGTAgEAMBMG");
  }

  /**
   * The images' entry point runs the step before the JVM: {@code service} with a stand-in {@code
   * java} on the PATH that prints what it was started with.
   */
  @Test
  void theEntryPointWritesTheFilesBeforeItStartsTheJvm() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("fake-bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/bash\necho \"args: $*\"\nenv\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    Path key = dir.resolve("secrets/apns/a.p8");
    ProcessBuilder builder =
        new ProcessBuilder(SCRIPT.resolveSibling("service").toString(), "--spring.main.x=1");
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("JAVA_OPTS", "-Xmx64m");
    builder.environment().put("KEY_ONE", "pem");
    builder.environment().put("INBOXPUSH_SECRET_FILES", "KEY_ONE=" + key);
    Path out = dir.resolve("service.txt");
    builder.redirectErrorStream(true).redirectOutput(out.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String printed = Files.readString(out);
    assertThat(process.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("args: -Xmx64m -jar /app/application.jar --spring.main.x=1")
        .doesNotContain("KEY_ONE", "INBOXPUSH_SECRET_FILES");
    assertThat(Files.readString(key)).isEqualTo("pem");
  }

  @Test
  void aSecondStartReplacesTheFiles() throws Exception {
    Path key = dir.resolve("secrets/fcm/p.json");
    run(Map.of("KEY_ONE", "{\"old\":1}", "INBOXPUSH_SECRET_FILES", "KEY_ONE=" + key));
    Run run = run(Map.of("KEY_ONE", "{\"new\":2}", "INBOXPUSH_SECRET_FILES", "KEY_ONE=" + key));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readString(key, StandardCharsets.UTF_8)).isEqualTo("{\"new\":2}");
  }

  @Test
  void aMissingSecretStopsTheStartNamingIt() throws Exception {
    Run run = run(Map.of("INBOXPUSH_SECRET_FILES", "KEY_ONE=" + dir.resolve("a.p8")));
    assertThat(run.exit()).isEqualTo(64);
    assertThat(run.err()).contains("KEY_ONE", "not set");
    assertThat(dir.resolve("a.p8")).doesNotExist();
  }

  @Test
  void malformedEntriesAndValuesAreRefused() throws Exception {
    for (String entry : List.of("KEY_ONE", "KEY_ONE=relative/path", "=/x", "KEY-ONE=/x")) {
      Run run = run(Map.of("KEY_ONE", "x", "INBOXPUSH_SECRET_FILES", entry));
      assertThat(run.exit()).as(entry).isEqualTo(64);
      assertThat(run.err()).as(entry).contains("is not VAR=/absolute/path");
    }
    Run base64 =
        run(
            Map.of(
                "KEY_BASE64",
                "not base64!",
                "INBOXPUSH_SECRET_FILES",
                "KEY_BASE64=" + dir.resolve("c.p12")));
    assertThat(base64.exit()).isEqualTo(65);
    Run date =
        run(
            Map.of(
                "KEY_ONE", "x",
                "KEY_ONE_WRITTEN_AT", "soon, roughly",
                "INBOXPUSH_SECRET_FILES", "KEY_ONE=" + dir.resolve("d.p8")));
    assertThat(date.exit()).isEqualTo(65);
    assertThat(date.err()).contains("KEY_ONE_WRITTEN_AT", "not a date");
  }
}
