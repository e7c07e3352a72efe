import ArgumentParser
import ETLModel

extension ExtractionSource: ExpressibleByArgument {}
