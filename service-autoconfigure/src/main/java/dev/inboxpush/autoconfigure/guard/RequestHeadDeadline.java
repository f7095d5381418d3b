package dev.inboxpush.autoconfigure.guard;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection whose request head does not arrive whole within the deadline, counted from
 * the head's first byte. Reactor Netty's idle timeout starts over with every byte read, so a client
 * trickling one header byte at a time would otherwise hold a connection for as long as it liked. A
 * connection that sends nothing is left to the idle timeout ({@code server.netty.idle-timeout},
 * longer than the load balancer's, which pools connections to us), and the body to Reactor Netty's
 * read and request timeouts.
 *
 * <p>Two handlers per connection share this state: {@link #bytes()} sits before the HTTP codec and
 * arms the deadline when bytes arrive while no request is open; this one sits after the codec and
 * disarms it when a whole head is decoded, counting requests open (several when a client pipelines)
 * until their final answers are written (a {@code 100 Continue} is not one). Both run on the
 * connection's event loop only, so nothing is locked.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

  static final String NAME = "inboxpush.requestHeadDeadline";
  static final String BYTES_NAME = "inboxpush.requestHeadBytes";

  private final long deadlineMillis;
  private final Counter closed;
  private @Nullable ScheduledFuture<?> pending;
  private @Nullable ChannelHandlerContext context;
  private int open;
  private boolean reading;

  RequestHeadDeadline(long deadlineMillis, Counter closed) {
    this.deadlineMillis = deadlineMillis;
    this.closed = closed;
  }

  /** The handler before the codec: bytes read while no request is open start the deadline. */
  ChannelInboundHandlerAdapter bytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        // Bytes while a body is still being read are that body's (perhaps the rest of one the
        // answer came before); only bytes between requests begin a head.
        if (open == 0
            && !reading
            && pending == null
            && msg instanceof ByteBuf bytes
            && bytes.isReadable()) {
          arm();
        }
        super.channelRead(ctx, msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      open++;
      reading = true;
      disarm();
    }
    if (msg instanceof LastHttpContent) {
      reading = false;
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    boolean informational =
        msg instanceof HttpResponse response
            && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (msg instanceof LastHttpContent && !informational) {
      open = Math.max(0, open - 1);
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm() {
    ChannelHandlerContext ctx = context;
    if (ctx == null) {
      return;
    }
    pending =
        ctx.executor()
            .schedule(
                () -> {
                  pending = null;
                  if (open == 0 && ctx.channel().isActive()) {
                    closed.increment();
                    ctx.close();
                  }
                },
                deadlineMillis,
                TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
