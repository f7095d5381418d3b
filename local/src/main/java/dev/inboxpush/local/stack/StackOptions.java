package dev.inboxpush.local.stack;

import dev.inboxpush.model.Region;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to start a local run.
 *
 * @param artifacts the jars and dynalite to start
 * @param dataRoot where every part keeps its data and generated secrets, one folder each ({@code
 *     dynamo/}, {@code auth/}, {@code push/}, {@code registration/}), and {@code logs/}
 * @param fresh delete what earlier runs kept (data and generated secrets) before starting
 * @param regions the regions to run a registration service and a listener for, over one shared
 *     dynalite standing in for the Global Table
 * @param ports every port; {@link StackPorts#defaults} for the documented ones
 * @param readyWithin how long the whole stack may take to become ready before the start fails
 */
public record StackOptions(
    Artifacts artifacts,
    Path dataRoot,
    boolean fresh,
    List<Region> regions,
    StackPorts ports,
    Duration readyWithin) {

  public StackOptions {
    regions = List.copyOf(regions);
    if (regions.isEmpty() || !ports.regions().keySet().containsAll(regions)) {
      throw new IllegalArgumentException("every region needs its ports: " + regions);
    }
    if (readyWithin.isNegative() || readyWithin.isZero()) {
      throw new IllegalArgumentException("readyWithin must be positive");
    }
    dataRoot = dataRoot.toAbsolutePath().normalize();
  }

  /** The documented defaults for a checkout at {@code repository}: one region, data in .local. */
  public static StackOptions defaults(Path repository) {
    return new StackOptions(
        Artifacts.inRepository(repository),
        repository.resolve(".local"),
        false,
        List.of(Region.US_EAST_1),
        StackPorts.defaults(List.of(Region.US_EAST_1)),
        Duration.ofMinutes(3));
  }

  public StackOptions withArtifacts(Artifacts artifacts) {
    return new StackOptions(artifacts, dataRoot, fresh, regions, ports, readyWithin);
  }

  public StackOptions withDataRoot(Path root) {
    return new StackOptions(artifacts, root, fresh, regions, ports, readyWithin);
  }

  public StackOptions withFresh(boolean fresh) {
    return new StackOptions(artifacts, dataRoot, fresh, regions, ports, readyWithin);
  }

  /** These regions, on the default ports when {@code freePorts} is false, else on free ones. */
  public StackOptions withRegions(List<Region> regions, boolean freePorts) {
    StackPorts chosen = freePorts ? StackPorts.free(regions) : StackPorts.defaults(regions);
    return new StackOptions(artifacts, dataRoot, fresh, regions, chosen, readyWithin);
  }
}
