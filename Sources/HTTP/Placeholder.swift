import CCurl
enum HTTPPlaceholder {}
