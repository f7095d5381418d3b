package dev.inboxpush.local.push;

import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.apns.MockApns.SigningKey;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.fcm.FakeServiceAccount;
import dev.inboxpush.testsupport.tls.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the local push server generates on first start and keeps in its data directory, so that a
 * listener configured from the files of the first start keeps working after a restart:
 *
 * <ul>
 *   <li>{@value #CA_FILE} (certificate) and {@value #CA_KEY_FILE}: the root that signs the TLS
 *       servers' certificate; the listener trusts {@value #CA_FILE} for APNs and FCM;
 *   <li>{@value #SERVER_FILE} and {@value #SERVER_KEY_FILE}: the one server certificate both TLS
 *       servers present, for {@code localhost}, {@code 127.0.0.1}, {@code fcm.googleapis.com} and
 *       the settings' further host names; re-issued from the root when missing, when it lacks one
 *       of those names, or within {@link #SERVER_RENEWAL} of expiring (no client trusts it
 *       directly);
 *   <li>{@value #APNS_KEY_FILE}: the provider-token signing key (EC P-256, PKCS#8 PEM, as Apple
 *       hands them out), of team {@value MockApns#TEAM_ID} with the configured key id;
 *   <li>{@code fcm-service-account-<project>.json}: a service account per project, whose {@code
 *       token_uri} the fake FCM answers.
 * </ul>
 *
 * <p>Files holding a private key are written readable by the owner only (POSIX {@code 600}; the
 * directory is created {@code 700}), each to a temporary file first and then moved into place, so
 * that a half-written file is never read. A file that exists but cannot be read or parsed, or that
 * does not fit its partner (a key that is not the certificate's), stops start-up with an {@link
 * IllegalStateException} naming it and the fix. Immutable once loaded.
 *
 * @param directory the data directory
 * @param root the root certificate and its key pair
 * @param serverCertificate the servers' certificate chain and key pair
 * @param signingKey the APNs signing key, its file, key id and team
 * @param serviceAccounts a service account per project, in the order of the settings
 * @param generated the files this start wrote (file names), for the start-up log
 */
public record PushData(
    Path directory,
    X509Bundle root,
    X509Bundle serverCertificate,
    SigningKey signingKey,
    Map<String, FakeServiceAccount> serviceAccounts,
    List<String> generated) {

  /** The root certificate, PEM: what clients trust. */
  public static final String CA_FILE = "ca.pem";

  /** The root's private key, PKCS#8 PEM. */
  public static final String CA_KEY_FILE = "ca-key.pem";

  /** The servers' certificate chain, PEM. */
  public static final String SERVER_FILE = "server.pem";

  /** The servers' private key, PKCS#8 PEM. */
  public static final String SERVER_KEY_FILE = "server-key.pem";

  /** The APNs provider-token signing key, PKCS#8 PEM. */
  public static final String APNS_KEY_FILE = "apns-signing-key.p8";

  /** How long a generated root is valid. */
  public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);

  /** How long a generated server certificate is valid. */
  public static final Duration SERVER_VALIDITY = Duration.ofDays(397);

  /** A server certificate expiring sooner than this is re-issued at start. */
  public static final Duration SERVER_RENEWAL = Duration.ofDays(7);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String DELETE_ALL =
      "delete the data directory's files to generate new ones (then configure the listener with the"
          + " new ones)";

  public PushData {
    serviceAccounts = Map.copyOf(serviceAccounts);
    generated = List.copyOf(generated);
  }

  /** The service-account file name of {@code project}. */
  public static String serviceAccountFileName(String project) {
    return "fcm-service-account-" + project + ".json";
  }

  /** The root certificate's file. */
  public Path caFile() {
    return directory.resolve(CA_FILE);
  }

  /** The service-account file of {@code project}. */
  public Path serviceAccountFile(String project) {
    FakeServiceAccount account = serviceAccounts.get(project);
    if (account == null) {
      throw new IllegalArgumentException("no service account for project " + project);
    }
    return account.file();
  }

  /**
   * Reads what {@code settings} keep in their data directory, generating what is missing.
   *
   * @throws IllegalStateException naming the file when one cannot be read, written or trusted
   */
  public static PushData loadOrCreate(PushSettings settings) {
    Path directory = settings.dataDirectory();
    createDirectory(directory);
    List<String> generated = new ArrayList<>();

    X509Bundle root = root(directory, generated);
    X509Bundle server = serverCertificate(directory, root, settings.hostNames(), generated);

    Path keyFile = directory.resolve(APNS_KEY_FILE);
    if (!Files.exists(keyFile)) {
      writeOnce(keyFile, TestPki.pkcs8Pem(newEcKey().getPrivate()), true);
      generated.add(APNS_KEY_FILE);
    }
    ECPrivateKey apnsKey = ecPrivateKey(keyFile);
    SigningKey signingKey =
        new SigningKey(keyFile, settings.apnsKeyId(), MockApns.TEAM_ID, publicKeyOf(apnsKey));

    Map<String, FakeServiceAccount> accounts = new LinkedHashMap<>();
    String tokenUri = "https://" + FakeFcmServer.FCM_HOST + FakeFcmServer.TOKEN_PATH;
    for (String project : settings.fcmProjects()) {
      String name = serviceAccountFileName(project);
      Path file = directory.resolve(name);
      if (!Files.exists(file)) {
        writeServiceAccount(file, project, tokenUri);
        generated.add(name);
      }
      accounts.put(project, serviceAccount(file, project, tokenUri));
    }
    return new PushData(directory, root, server, signingKey, accounts, generated);
  }

  private static X509Bundle root(Path directory, List<String> generated) {
    Path certificateFile = directory.resolve(CA_FILE);
    Path keyFile = directory.resolve(CA_KEY_FILE);
    boolean certificateExists = Files.exists(certificateFile);
    boolean keyExists = Files.exists(keyFile);
    if (!certificateExists && !keyExists) {
      X509Bundle fresh = TestPki.create(ROOT_VALIDITY).root();
      // The key first: a certificate without its key is an error at the next start, not a key
      // without its certificate, which is only overwritten.
      writeOnce(keyFile, TestPki.pkcs8Pem(fresh.getKeyPair().getPrivate()), true);
      writeOnce(certificateFile, fresh.getCertificatePEM(), false);
      generated.add(CA_FILE);
      generated.add(CA_KEY_FILE);
    } else if (!keyExists) {
      throw new IllegalStateException(
          keyFile
              + " is missing beside "
              + certificateFile
              + ": the root cannot sign; "
              + DELETE_ALL);
    } else if (!certificateExists) {
      throw new IllegalStateException(
          certificateFile + " is missing beside " + keyFile + "; " + DELETE_ALL);
    }
    List<X509Certificate> certificates = certificates(certificateFile);
    X509Certificate certificate = certificates.get(0);
    if (certificates.size() != 1 || certificate.getBasicConstraints() < 0) {
      throw new IllegalStateException(
          certificateFile + " is not one certificate authority's certificate; " + DELETE_ALL);
    }
    if (certificate.getNotAfter().toInstant().isBefore(Instant.now())) {
      throw new IllegalStateException(
          certificateFile
              + " expired on "
              + certificate.getNotAfter().toInstant()
              + "; "
              + DELETE_ALL);
    }
    ECPrivateKey key = ecPrivateKey(keyFile);
    requireSameKey(certificate, key, keyFile, certificateFile);
    return X509Bundle.fromRootCertificateAuthority(
        certificate, new KeyPair(certificate.getPublicKey(), key));
  }

  private static X509Bundle serverCertificate(
      Path directory, X509Bundle root, List<String> hostNames, List<String> generated) {
    List<String> names = new ArrayList<>(List.of(FakeFcmServer.FCM_HOST));
    names.addAll(hostNames);
    Path certificateFile = directory.resolve(SERVER_FILE);
    Path keyFile = directory.resolve(SERVER_KEY_FILE);
    if (Files.exists(certificateFile) && Files.exists(keyFile)) {
      List<X509Certificate> chain = certificates(certificateFile);
      X509Certificate leaf = chain.get(0);
      ECPrivateKey key = ecPrivateKey(keyFile);
      requireSameKey(leaf, key, keyFile, certificateFile);
      if (issuedBy(leaf, root.getCertificate())
          && dnsNames(leaf).containsAll(names)
          && leaf.getNotAfter().toInstant().isAfter(Instant.now().plus(SERVER_RENEWAL))) {
        return X509Bundle.fromCertificatePath(
            chain.toArray(X509Certificate[]::new),
            root.getCertificate(),
            new KeyPair(leaf.getPublicKey(), key));
      }
    }
    X509Bundle fresh = TestPki.of(root).server(SERVER_VALIDITY, names.toArray(String[]::new));
    replace(keyFile, TestPki.pkcs8Pem(fresh.getKeyPair().getPrivate()), true);
    replace(certificateFile, fresh.getCertificatePathPEM(), false);
    generated.add(SERVER_FILE);
    generated.add(SERVER_KEY_FILE);
    return fresh;
  }

  /** The certificate's DNS subject alternative names (type 2). */
  private static List<String> dnsNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream()
          .filter(name -> Integer.valueOf(2).equals(name.get(0)))
          .map(name -> String.valueOf(name.get(1)))
          .toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static boolean issuedBy(X509Certificate leaf, X509Certificate root) {
    try {
      leaf.verify(root.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void writeServiceAccount(Path file, String project, String tokenUri) {
    Path temporary = temporaryBeside(file);
    try {
      Files.delete(temporary);
      FakeServiceAccount.generate(project, tokenUri, temporary);
      moveOnce(temporary, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private static FakeServiceAccount serviceAccount(Path file, String project, String tokenUri) {
    FakeServiceAccount account;
    try {
      account = FakeServiceAccount.read(file);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new IllegalStateException(
          "cannot use " + file + ": " + e.getMessage() + "; delete it to generate a new one", e);
    }
    if (!project.equals(account.projectId())) {
      throw new IllegalStateException(
          file
              + " belongs to project "
              + account.projectId()
              + ", not "
              + project
              + "; "
              + DELETE_ALL);
    }
    String fileTokenUri = tokenUriOf(file);
    if (!tokenUri.equals(fileTokenUri)) {
      throw new IllegalStateException(
          file
              + " names token_uri "
              + fileTokenUri
              + ", not the fake's "
              + tokenUri
              + "; delete it to"
              + " generate a new one");
    }
    return account;
  }

  private static String tokenUriOf(Path file) {
    JsonNode tokenUri = JSON.readTree(read(file)).get("token_uri");
    return tokenUri == null || !tokenUri.isString() ? "(none)" : tokenUri.asString();
  }

  // ----------------------------------------------------------------------------------- keys

  private static KeyPair newEcKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an EC P-256 key", e);
    }
  }

  /**
   * The public half of a P-256 private key, {@code d·G}: kept files hold only the private key (as
   * Apple's .p8 files do), and the server needs the public key to verify provider tokens.
   */
  static ECPublicKey publicKeyOf(ECPrivateKey key) {
    var curve = ECNamedCurveTable.getParameterSpec("secp256r1");
    var q = curve.getG().multiply(key.getS()).normalize();
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, key.getParams()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the public key", e);
    }
  }

  private static void requireSameKey(
      X509Certificate certificate, ECPrivateKey key, Path keyFile, Path certificateFile) {
    PublicKey certified = certificate.getPublicKey();
    if (!(certified instanceof ECPublicKey ec) || !ec.getW().equals(publicKeyOf(key).getW())) {
      throw new IllegalStateException(
          keyFile + " is not the key of " + certificateFile + "; " + DELETE_ALL);
    }
  }

  private static ECPrivateKey ecPrivateKey(Path file) {
    PrivateKey key = privateKey(file);
    if (!(key instanceof ECPrivateKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalStateException(file + " is not an EC P-256 private key; " + DELETE_ALL);
    }
    return ec;
  }

  private static PrivateKey privateKey(Path file) {
    String pem = read(file);
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          file + " cannot be read as a PEM private key (" + e.getMessage() + "); " + DELETE_ALL, e);
    }
    if (!(parsed instanceof PrivateKeyInfo info)) {
      throw new IllegalStateException(file + " is not a PKCS#8 PEM private key; " + DELETE_ALL);
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          file + " holds a private key that cannot be used (" + e.getMessage() + "); " + DELETE_ALL,
          e);
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    byte[] bytes = read(file).getBytes(StandardCharsets.US_ASCII);
    try {
      Collection<? extends java.security.cert.Certificate> parsed =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes));
      List<X509Certificate> certificates = new ArrayList<>();
      for (var certificate : parsed) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IllegalStateException(file + " holds no certificate; " + DELETE_ALL);
      }
      return certificates;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          file + " is not a PEM certificate (" + e.getMessage() + "); " + DELETE_ALL, e);
    }
  }

  // ---------------------------------------------------------------------------------- files

  private static void createDirectory(Path directory) {
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        if (posix(directory)) {
          Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the data directory "
              + directory
              + " ("
              + PushSettings.DATA_DIR
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * Writes {@code content} to {@code file} unless another start wrote it first: a half-written file
   * is never seen, and two servers starting on one empty directory agree on the first one's file.
   */
  private static void writeOnce(Path file, String content, boolean secret) {
    Path temporary = temporaryBeside(file);
    try {
      restrict(temporary, secret);
      Files.writeString(temporary, content, StandardCharsets.US_ASCII);
      moveOnce(temporary, file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e, e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  /** Writes {@code content} to {@code file}, replacing it in one rename. */
  private static void replace(Path file, String content, boolean secret) {
    Path temporary = temporaryBeside(file);
    try {
      restrict(temporary, secret);
      Files.writeString(temporary, content, StandardCharsets.US_ASCII);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e, e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private static void moveOnce(Path temporary, Path file) throws IOException {
    try {
      // A rename within the directory, refused when the file exists (never replaces it).
      Files.move(temporary, file);
    } catch (FileAlreadyExistsException e) {
      // Another start won; its file is read instead.
    }
  }

  private static Path temporaryBeside(Path file) {
    try {
      Path temporary = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
      restrict(temporary, true);
      return temporary;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write beside " + file + ": " + e, e);
    }
  }

  private static void restrict(Path file, boolean secret) throws IOException {
    if (posix(file)) {
      Files.setPosixFilePermissions(
          file, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
    }
  }

  private static boolean posix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Only a leftover temporary file; the start goes on.
    }
  }
}
