package dev.inboxpush.testsupport.fcm;

import dev.inboxpush.testsupport.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Google service account made up at run time for a {@link FakeFcmServer}: an RSA 2048 key pair
 * and the service-account JSON file a production deployment would read, written to a temporary file
 * (owner-only where the file system allows, deleted when the JVM exits). Nothing private is ever
 * committed: the key exists only in memory and in that file.
 *
 * <p>The file holds what the Google console downloads: {@code type} ({@code service_account}),
 * {@code project_id}, {@code private_key_id}, {@code private_key} (PKCS#8 PEM), {@code
 * client_email}, {@code client_id}, {@code auth_uri}, {@code token_uri} (the fake's {@link
 * FakeFcmServer#tokenUri()}), and the certificate URLs; {@code GoogleCredentials.fromStream} reads
 * it into {@code ServiceAccountCredentials}, which signs its token requests with the private key.
 *
 * <p>{@link FakeFcmServer#newServiceAccount} creates one the server knows (it verifies the
 * signatures with {@link #publicKey()}); {@link #generate} creates one it does not know until
 * {@link FakeFcmServer#registerServiceAccount}, for testing a key Google would refuse. {@link
 * #toString()} leaves the private key out.
 *
 * @param file the service-account JSON file
 * @param projectId its {@code project_id}, which firebase-admin sends to when the app names none
 * @param clientEmail its {@code client_email}, the {@code iss} of the token requests
 * @param clientId its {@code client_id}
 * @param privateKeyId its {@code private_key_id}, the {@code kid} of the token requests
 * @param keyPair the RSA key pair whose private half is in the file
 */
public record FakeServiceAccount(
    Path file,
    String projectId,
    String clientEmail,
    String clientId,
    String privateKeyId,
    KeyPair keyPair) {

  /** The {@code auth_uri} of every service-account file Google hands out. */
  public static final String AUTH_URI = "https://accounts.google.com/o/oauth2/auth";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A new account of {@code projectId} whose file names {@code tokenUri}, not registered with any
   * server: {@code fcm-test-<random>@<projectId>.iam.gserviceaccount.com}.
   */
  public static FakeServiceAccount generate(String projectId, String tokenUri) {
    if (projectId.isBlank()) {
      throw new IllegalArgumentException("the project id must not be blank");
    }
    KeyPair keys = rsa2048();
    HexFormat hex = HexFormat.of();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String suffix = hex.toHexDigits(random.nextInt()).substring(0, 6);
    String clientEmail =
        "fcm-test-"
            + suffix
            + "@"
            + projectId.toLowerCase(Locale.ROOT)
            + ".iam.gserviceaccount.com";
    String privateKeyId = hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    String clientId = "1" + String.format(Locale.ROOT, "%020d", random.nextLong(Long.MAX_VALUE));

    Map<String, String> json = new LinkedHashMap<>();
    json.put("type", "service_account");
    json.put("project_id", projectId);
    json.put("private_key_id", privateKeyId);
    json.put("private_key", TestPki.pkcs8Pem(keys.getPrivate()));
    json.put("client_email", clientEmail);
    json.put("client_id", clientId);
    json.put("auth_uri", AUTH_URI);
    json.put("token_uri", tokenUri);
    json.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
    json.put(
        "client_x509_cert_url",
        "https://www.googleapis.com/robot/v1/metadata/x509/" + clientEmail.replace("@", "%40"));
    json.put("universe_domain", "googleapis.com");

    Path file = write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    return new FakeServiceAccount(file, projectId, clientEmail, clientId, privateKeyId, keys);
  }

  /** The public half, which the fake verifies token requests with. */
  public RSAPublicKey publicKey() {
    return (RSAPublicKey) keyPair.getPublic();
  }

  /** The private half, for tests that sign their own assertions. */
  public RSAPrivateKey privateKey() {
    return (RSAPrivateKey) keyPair.getPrivate();
  }

  /** The file's contents. */
  public String json() {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Everything but the key pair. */
  @Override
  public String toString() {
    return "FakeServiceAccount[file="
        + file
        + ", projectId="
        + projectId
        + ", clientEmail="
        + clientEmail
        + ", clientId="
        + clientId
        + ", privateKeyId="
        + privateKeyId
        + "]";
  }

  private static KeyPair rsa2048() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  private static Path write(String json) {
    try {
      Path file =
          FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
              ? Files.createTempFile(
                  "fake-service-account-",
                  ".json",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile("fake-service-account-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, json, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the service-account file", e);
    }
  }
}
