package dev.inboxpush.testsupport.apns;

import dev.inboxpush.testsupport.tls.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * An APNs peer that answers whatever a test scripts, for the answers pushy's MockApnsServer cannot
 * give: its rejection reasons are a fixed enum without {@code ExpiredToken} or {@code
 * UnrelatedKeyIdInToken}, and it never sends an undocumented status. HTTP/2 over TLS (prior
 * knowledge, as pushy connects), {@code POST /3/device/{token}} answered with the scripted status,
 * an {@code apns-id} and, for a rejection, APNs' JSON body {@code {"reason":...,"timestamp":...}}.
 * It checks nothing: use MockApnsServer wherever its answers suffice.
 *
 * <p>Lifecycle: {@link #start} binds a free port on 127.0.0.1 with its own event loop; {@link
 * #close()} stops it. Thread-safe.
 */
public final class ScriptedApnsServer implements AutoCloseable {

  /** An answer: a status, and for a rejection its reason and (410) APNs' timestamp in millis. */
  public record Answer(int status, @Nullable String reason, @Nullable Long timestamp) {

    public static final Answer ACCEPTED = new Answer(200, null, null);

    /** A rejection without a timestamp. */
    public static Answer rejected(int status, String reason) {
      return new Answer(status, reason, null);
    }
  }

  private final TestPki pki = TestPki.create();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Queue<String> received = new ConcurrentLinkedQueue<>();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  private ScriptedApnsServer() {
    try {
      X509Bundle certificate = pki.server();
      SslContext tls =
          SslContextBuilder.forServer(
                  certificate.getKeyPair().getPrivate(), certificate.getCertificatePath())
              .build();
      channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                      connection
                          .pipeline()
                          .addLast(tls.newHandler(connection.alloc()))
                          .addLast(Http2FrameCodecBuilder.forServer().build())
                          .addLast(
                              new Http2MultiplexHandler(
                                  new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                      stream.pipeline().addLast(new StreamHandler());
                                    }
                                  }));
                    }
                  })
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .sync()
              .channel();
    } catch (Exception e) {
      group.shutdownGracefully();
      throw new IllegalStateException("cannot start the scripted APNs server", e);
    }
  }

  /** Starts a server on a free port. */
  public static ScriptedApnsServer start() {
    return new ScriptedApnsServer();
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** A PEM file with the root that signed the server's certificate, for the client to trust. */
  public Path trustedCertificates() {
    return TestPki.writeTemp(pki.root().getCertificatePEM(), ".pem");
  }

  /** Answers pushes to {@code token} with {@code answer}; others are accepted. */
  public void answer(String token, Answer answer) {
    answers.put(token, answer);
  }

  /** The device tokens of every push received, in order. */
  public List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully().syncUninterruptibly();
  }

  /** One HTTP/2 stream: remembers the token from the headers, answers at the end of the stream. */
  private final class StreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private String token = "";

    @Override
    protected void channelRead0(ChannelHandlerContext context, Http2StreamFrame frame) {
      boolean end = false;
      if (frame instanceof Http2HeadersFrame headers) {
        CharSequence path = headers.headers().path();
        String text = path == null ? "" : path.toString();
        token = text.startsWith("/3/device/") ? text.substring("/3/device/".length()) : text;
        end = headers.isEndStream();
      } else if (frame instanceof Http2DataFrame data) {
        end = data.isEndStream();
      }
      if (!end) {
        return;
      }
      received.add(token);
      Answer answer = answers.getOrDefault(token, Answer.ACCEPTED);
      Http2Headers headers =
          new DefaultHttp2Headers()
              .status(Integer.toString(answer.status()))
              .add("apns-id", UUID.randomUUID().toString());
      if (answer.reason() == null) {
        context.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
        return;
      }
      String body =
          "{\"reason\":\""
              + answer.reason()
              + "\""
              + (answer.timestamp() == null ? "" : ",\"timestamp\":" + answer.timestamp())
              + "}";
      headers.add("content-type", "application/json");
      context.write(new DefaultHttp2HeadersFrame(headers, false));
      context.writeAndFlush(
          new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true));
    }
  }
}
