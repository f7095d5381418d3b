package dev.inboxpush.local.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthDataTests {

  @TempDir Path data;

  private AuthSettings settings(String secret) {
    return new AuthSettings(
        InetAddress.getLoopbackAddress(),
        0,
        null,
        data,
        List.of(AuthSettings.DEFAULT_REDIRECT_URI),
        secret);
  }

  @Test
  void theFirstStartGeneratesTheKeyAndTheSecretAndTheNextReusesThem() throws Exception {
    AuthData first = AuthData.loadOrCreate(AuthSettings.onFreePort(data.resolve("auth")));
    AuthData second = AuthData.loadOrCreate(AuthSettings.onFreePort(data.resolve("auth")));

    assertThat(first.keyGenerated()).isTrue();
    assertThat(second.keyGenerated()).isFalse();
    assertThat(second.signingKey().getKeyID()).isEqualTo(first.signingKey().getKeyID());
    assertThat(second.signingKey().toRSAPublicKey()).isEqualTo(first.signingKey().toRSAPublicKey());
    assertThat(second.scriptClientSecret()).isEqualTo(first.scriptClientSecret()).hasSize(43);
    assertThat(Files.list(data.resolve("auth")).map(path -> path.getFileName().toString()))
        .containsExactlyInAnyOrder("signing-key.jwk", "script-client-secret");
  }

  @Test
  void theFilesAreReadableByTheOwnerOnly() throws Exception {
    AuthData.loadOrCreate(settings(null));

    for (String file : List.of(AuthData.SIGNING_KEY_FILE, AuthData.SCRIPT_SECRET_FILE)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aSecretFromTheEnvironmentIsUsedAndNoFileIsWritten() {
    AuthData loaded = AuthData.loadOrCreate(settings("from-the-environment"));

    assertThat(loaded.scriptClientSecret()).isEqualTo("from-the-environment");
    assertThat(loaded.scriptSecretFile()).isNull();
    assertThat(data.resolve(AuthData.SCRIPT_SECRET_FILE)).doesNotExist();
  }

  @Test
  void aCorruptKeyFileStopsStartUpNamingTheFileAndTheFix() throws Exception {
    Files.writeString(data.resolve(AuthData.SIGNING_KEY_FILE), "{not json");

    assertThatThrownBy(() -> AuthData.loadOrCreate(settings(null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(data.resolve(AuthData.SIGNING_KEY_FILE).toString())
        .hasMessageContaining("delete it to generate a new one");
  }

  @Test
  void aPublicKeyIsNotASigningKey() throws Exception {
    AuthData generated = AuthData.loadOrCreate(settings(null));
    Files.writeString(
        data.resolve(AuthData.SIGNING_KEY_FILE),
        generated.signingKey().toPublicJWK().toJSONString());

    assertThatThrownBy(() -> AuthData.loadOrCreate(settings(null)))
        .hasMessageContaining("is not a private RSA JWK with a key id");
  }

  @Test
  void anEmptySecretFileStopsStartUp() throws Exception {
    Files.writeString(data.resolve(AuthData.SCRIPT_SECRET_FILE), "\n");

    assertThatThrownBy(() -> AuthData.loadOrCreate(settings(null)))
        .hasMessageContaining(AuthData.SCRIPT_SECRET_FILE)
        .hasMessageContaining("is empty");
  }
}
