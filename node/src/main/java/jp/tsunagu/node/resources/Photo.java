package jp.tsunagu.node.resources;

/** A photo of a resource, served from this node. */
public record Photo(String contentType, byte[] bytes, String caption) {}
