package dev.inboxpush.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.Region;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's arguments, the port plan and the artifacts check, without starting anything. */
class StackSettingsTests {

  @TempDir Path repository;

  @Test
  void defaultPortsAreTheDocumentedOnesAndEachRegionMovesUpByOneHundred() {
    StackPorts ports = StackPorts.defaults(List.of(Region.values()));
    assertThat(List.of(ports.dynamo(), ports.auth(), ports.apns(), ports.fcm(), ports.inspector()))
        .containsExactly(4567, 9000, 8443, 8444, 8090);
    assertThat(ports.regions().get(Region.US_EAST_1))
        .isEqualTo(new StackPorts.RegionPorts(8081, 9081, 8082, 9082));
    assertThat(ports.regions().get(Region.EU_WEST_1))
        .isEqualTo(new StackPorts.RegionPorts(8181, 9181, 8182, 9182));
    assertThat(ports.regions().get(Region.AP_SOUTHEAST_1))
        .isEqualTo(new StackPorts.RegionPorts(8281, 9281, 8282, 9282));
    assertThat(ports.named()).hasSize(17);
  }

  @Test
  void freePortsAreDistinct() {
    StackPorts ports = StackPorts.free(List.of(Region.values()));
    assertThat(ports.named()).hasSize(17);
  }

  @Test
  void twoPartsOnOnePortOrAPortOutOfRangeAreRefused() {
    Map<Region, StackPorts.RegionPorts> one =
        Map.of(Region.US_EAST_1, new StackPorts.RegionPorts(8081, 9081, 8082, 9082));
    assertThatThrownBy(() -> new StackPorts(4567, 9000, 8443, 8444, 8081, one))
        .hasMessageContaining("share a port");
    assertThatThrownBy(() -> new StackPorts(0, 9000, 8443, 8444, 8090, one))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> new StackPorts(4567, 9000, 8443, 8444, 8090, Map.of()))
        .hasMessageContaining("at least one region");
  }

  @Test
  void argumentsChooseFreshnessRegionsAndTheDataFolder() throws IOException {
    StackOptions defaults = defaults();
    StackOptions parsed =
        LocalRun.parse(List.of("--fresh", "--three-regions", "--data", "elsewhere"), defaults);
    assertThat(parsed.fresh()).isTrue();
    assertThat(parsed.regions()).containsExactly(Region.values());
    assertThat(parsed.ports()).isEqualTo(StackPorts.defaults(List.of(Region.values())));
    assertThat(parsed.dataRoot()).isEqualTo(Path.of("elsewhere").toAbsolutePath());

    StackOptions plain = LocalRun.parse(List.of(), defaults);
    assertThat(plain.fresh()).isFalse();
    assertThat(plain.regions()).containsExactly(Region.US_EAST_1);
    assertThat(plain.dataRoot()).isEqualTo(repository.resolve(".local"));

    assertThat(LocalRun.parse(List.of("--help"), defaults)).isNull();
  }

  @Test
  void unknownOrIncompleteArgumentsAreRefusedByName() throws IOException {
    StackOptions defaults = defaults();
    assertThatThrownBy(() -> LocalRun.parse(List.of("--regions=3"), defaults))
        .hasMessage("unknown argument: --regions=3");
    assertThatThrownBy(() -> LocalRun.parse(List.of("--data"), defaults))
        .hasMessage("--data needs a folder");
    assertThatThrownBy(() -> LocalRun.parse(List.of("--data", " "), defaults))
        .hasMessage("--data needs a folder");
  }

  @Test
  void missingJarsAreNamedWithTheCommandThatBuildsThem() {
    assertThatThrownBy(() -> Artifacts.inRepository(repository))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registration-service/target is missing")
        .hasMessageContaining(
            "./mvnw -B -DskipTests -pl local,registration-service,listener-service");
  }

  @Test
  void twoVersionsOfOneJarAreAmbiguous() throws IOException {
    fakeCheckout();
    Files.createFile(repository.resolve("listener-service/target/listener-service-0.2-exec.jar"));
    assertThatThrownBy(() -> Artifacts.inRepository(repository))
        .hasMessageContaining("expected one listener-service-<version>-exec.jar");
  }

  @Test
  void theOwnerHashKeyIsGeneratedOnceAndKeptPrivate() throws IOException {
    Path folder = repository.resolve("registration");
    String first = LocalSecrets.ownerHashKey(folder);
    assertThat(first).hasSizeGreaterThanOrEqualTo(32);
    assertThat(LocalSecrets.ownerHashKey(folder)).isEqualTo(first);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(folder.resolve("owner-hash-key"))))
        .isEqualTo("rw-------");

    Files.writeString(folder.resolve("owner-hash-key"), "short");
    assertThatThrownBy(() -> LocalSecrets.ownerHashKey(folder))
        .hasMessageContaining("shorter than 32 characters");
  }

  @Test
  void overridesNameKnownPartsOnly() throws IOException {
    StackOptions.PartOverrides production =
        new StackOptions.PartOverrides(List.of("-Xmx1g"), Map.of("A", "b"));
    assertThat(defaults().overrides()).isEmpty();
    assertThat(defaults().withOverrides("listener", production).overrides())
        .containsEntry("listener", production);
    assertThatThrownBy(() -> defaults().withOverrides("dynamo", production))
        .hasMessageContaining("overrides name parts [dynamo]");
  }

  @Test
  void aTableReplicaMayBeGivenOnlyForARegionOfTheRun() throws IOException {
    StackOptions defaults = defaults();
    URI replica = URI.create("http://127.0.0.1:4600");

    assertThat(defaults.withTableEndpoints(Map.of(Region.US_EAST_1, replica)).tableEndpoints())
        .containsEntry(Region.US_EAST_1, replica);
    assertThat(defaults.tableEndpoints()).isEmpty();
    assertThatThrownBy(() -> defaults.withTableEndpoints(Map.of(Region.EU_WEST_1, replica)))
        .hasMessageContaining("outside");
  }

  @Test
  void optionsRefuseRegionsWithoutPortsAndANonPositiveDeadline() throws IOException {
    StackOptions defaults = defaults();
    assertThatThrownBy(
            () ->
                new StackOptions(
                    defaults.artifacts(),
                    repository,
                    false,
                    List.of(Region.EU_WEST_1),
                    StackPorts.defaults(List.of(Region.US_EAST_1)),
                    Duration.ofMinutes(1)))
        .hasMessageContaining("every region needs its ports");
    assertThatThrownBy(
            () ->
                new StackOptions(
                    defaults.artifacts(),
                    repository,
                    false,
                    List.of(Region.US_EAST_1),
                    defaults.ports(),
                    Duration.ZERO))
        .hasMessageContaining("readyWithin");
  }

  private StackOptions defaults() throws IOException {
    fakeCheckout();
    return StackOptions.defaults(repository);
  }

  private void fakeCheckout() throws IOException {
    for (String jar :
        List.of(
            "registration-service/target/registration-service-0.1-exec.jar",
            "listener-service/target/listener-service-0.1-exec.jar",
            "local/target/local-0.1-exec.jar",
            "test-support/dynalite/node_modules/dynalite/cli.js")) {
      Path file = repository.resolve(jar);
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    }
  }
}
