package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushDataTests {

  @TempDir Path directory;

  @Test
  void theFirstStartGeneratesEveryFileAndTheNextReusesThem() throws IOException {
    PushSettings settings = PushSettings.onFreePorts(directory);

    PushData first = PushData.loadOrCreate(settings);
    PushData second = PushData.loadOrCreate(settings);

    assertThat(first.generated())
        .containsExactlyInAnyOrder(
            "ca.pem",
            "ca-key.pem",
            "server.pem",
            "server-key.pem",
            "apns-signing-key.p8",
            "fcm-service-account-inboxpush-local.json");
    assertThat(second.generated()).isEmpty();
    assertThat(second.root().getCertificate()).isEqualTo(first.root().getCertificate());
    assertThat(second.serverCertificate().getCertificate())
        .isEqualTo(first.serverCertificate().getCertificate());
    assertThat(second.signingKey().publicKey()).isEqualTo(first.signingKey().publicKey());
    assertThat(second.signingKey().keyId()).isEqualTo("LOCALKEY01");
    assertThat(second.serviceAccounts().get("inboxpush-local").publicKey())
        .isEqualTo(first.serviceAccounts().get("inboxpush-local").publicKey());
    assertThat(second.serviceAccountFile("inboxpush-local"))
        .isEqualTo(directory.resolve("fcm-service-account-inboxpush-local.json"));
    try (var files = Files.list(directory)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .as("no temporary file is left behind")
          .noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void privateFilesAreReadableByTheOwnerOnly() throws IOException {
    PushData.loadOrCreate(PushSettings.onFreePorts(directory));

    for (String name :
        new String[] {
          "ca-key.pem",
          "server-key.pem",
          "apns-signing-key.p8",
          "fcm-service-account-inboxpush-local.json"
        }) {
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(name))))
          .as(name)
          .isEqualTo("rw-------");
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("ca.pem"))))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void theServerCertificateCoversLoopbackAndFcmAndIsIssuedByTheRoot() throws Exception {
    PushData data = PushData.loadOrCreate(PushSettings.onFreePorts(directory));

    var leaf = data.serverCertificate().getCertificate();
    leaf.verify(data.root().getCertificate().getPublicKey());
    assertThat(leaf.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
        .contains("localhost", "127.0.0.1", "fcm.googleapis.com");
  }

  @Test
  void aFurtherHostNameIsCoveredAndACertificateWithoutItIsIssuedAgain() throws Exception {
    PushSettings loopbackOnly = PushSettings.onFreePorts(directory);
    PushData first = PushData.loadOrCreate(loopbackOnly);
    PushSettings withName =
        new PushSettings(
            loopbackOnly.address(),
            loopbackOnly.dataDirectory(),
            0,
            0,
            0,
            loopbackOnly.apnsTopics(),
            loopbackOnly.apnsKeyId(),
            loopbackOnly.fcmProjects(),
            List.of("push"));

    PushData second = PushData.loadOrCreate(withName);
    PushData third = PushData.loadOrCreate(withName);

    assertThat(second.generated()).containsExactlyInAnyOrder("server.pem", "server-key.pem");
    assertThat(second.root().getCertificate()).isEqualTo(first.root().getCertificate());
    assertThat(
            second.serverCertificate().getCertificate().getSubjectAlternativeNames().stream()
                .map(name -> String.valueOf(name.get(1))))
        .contains("localhost", "127.0.0.1", "fcm.googleapis.com", "push");
    assertThat(third.generated()).isEmpty();
  }

  @Test
  void aMissingServerCertificateIsIssuedAgainFromTheKeptRoot() throws IOException {
    PushSettings settings = PushSettings.onFreePorts(directory);
    PushData first = PushData.loadOrCreate(settings);
    Files.delete(directory.resolve("server.pem"));

    PushData second = PushData.loadOrCreate(settings);

    assertThat(second.generated()).containsExactlyInAnyOrder("server.pem", "server-key.pem");
    assertThat(second.root().getCertificate()).isEqualTo(first.root().getCertificate());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ca.pem",
        "ca-key.pem",
        "server.pem",
        "server-key.pem",
        "apns-signing-key.p8",
        "fcm-service-account-inboxpush-local.json"
      })
  void aCorruptedFileStopsStartUpNamingIt(String name) throws IOException {
    PushSettings settings = PushSettings.onFreePorts(directory);
    PushData.loadOrCreate(settings);
    Files.writeString(directory.resolve(name), "-----BEGIN PRIVATE KEY-----\nnot base64!\n");

    assertThatThrownBy(() -> PushData.loadOrCreate(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(directory.resolve(name).toString());
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsStartUp() throws IOException {
    PushSettings settings = PushSettings.onFreePorts(directory);
    PushData.loadOrCreate(settings);
    Files.copy(
        directory.resolve("apns-signing-key.p8"),
        directory.resolve("ca-key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> PushData.loadOrCreate(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(directory.resolve("ca-key.pem") + " is not the key of ");
  }

  @Test
  void aRootWithoutItsKeyStopsStartUp() throws IOException {
    PushSettings settings = PushSettings.onFreePorts(directory);
    PushData.loadOrCreate(settings);
    Files.delete(directory.resolve("ca-key.pem"));

    assertThatThrownBy(() -> PushData.loadOrCreate(settings))
        .hasMessageStartingWith(directory.resolve("ca-key.pem") + " is missing beside ");
  }
}
