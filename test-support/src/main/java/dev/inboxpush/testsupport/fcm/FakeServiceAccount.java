package dev.inboxpush.testsupport.fcm;

import dev.inboxpush.testsupport.tls.TestPki;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
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
    return create(projectId, tokenUri, null);
  }

  /**
   * A new account as {@link #generate(String, String)} makes, its file written to {@code file},
   * which must not exist yet (created readable by the owner only where the file system has POSIX
   * permissions; never deleted by this class).
   *
   * @throws UncheckedIOException if {@code file} exists or cannot be written
   */
  public static FakeServiceAccount generate(String projectId, String tokenUri, Path file) {
    return create(projectId, tokenUri, file);
  }

  private static FakeServiceAccount create(
      String projectId, String tokenUri, @org.jspecify.annotations.Nullable Path target) {
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

    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    Path file = target == null ? write(text) : writeAt(target, text);
    return new FakeServiceAccount(file, projectId, clientEmail, clientId, privateKeyId, keys);
  }

  /**
   * The account whose service-account JSON is {@code file}, such as one {@link #generate(String,
   * String, Path)} wrote: its key pair is the file's {@code private_key} (an RSA PKCS#8 PEM) and
   * the public key derived from it.
   *
   * @throws IllegalArgumentException naming the file and the field when it is not a service-account
   *     file with an RSA private key
   * @throws UncheckedIOException if it cannot be read
   */
  public static FakeServiceAccount read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !"service_account".equals(text(file, root, "type"))) {
      throw new IllegalArgumentException(file + " is not a service-account file (type)");
    }
    return new FakeServiceAccount(
        file,
        text(file, root, "project_id"),
        text(file, root, "client_email"),
        text(file, root, "client_id"),
        text(file, root, "private_key_id"),
        rsaKeyPair(file, text(file, root, "private_key")));
  }

  private static String text(Path file, JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || !value.isString() || value.asString().isBlank()) {
      throw new IllegalArgumentException(file + " has no " + field);
    }
    return value.asString();
  }

  private static KeyPair rsaKeyPair(Path file, String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object parsed = parser.readObject();
      if (!(parsed instanceof PrivateKeyInfo info)) {
        throw new IllegalArgumentException(file + ": private_key is not a PKCS#8 PEM key");
      }
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info);
      if (!(key instanceof RSAPrivateCrtKey rsa)) {
        throw new IllegalArgumentException(file + ": private_key is not an RSA key");
      }
      RSAPublicKeySpec publicSpec = new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent());
      return new KeyPair(KeyFactory.getInstance("RSA").generatePublic(publicSpec), rsa);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + ": private_key cannot be read: " + e.getMessage(), e);
    }
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

  private static Path writeAt(Path file, String json) {
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the service-account file " + file, e);
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
